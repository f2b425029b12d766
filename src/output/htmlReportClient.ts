/**
 * The report page's own script: draws one uPlot chart per element with data-chart from the JSON in
 * #report-data, then publishes what it drew on window.__egressReport (and data-* attributes) so a
 * browser test can check every chart. Plain ES2017, no template literals; it only ever sets text.
 */
export const REPORT_CLIENT_JS = `(function () {
  'use strict';
  var status = { charts: [], errors: [], done: false };
  window.__egressReport = status;
  function fail(message) {
    status.errors.push(String(message));
    console.error(message);
  }
  function fmt(v) {
    if (v === null || v === undefined) return '-';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e7 || a < 1e-3)) return v.toExponential(3);
    return String(Number(v.toPrecision(6)));
  }
  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return Number((v / 1e9).toPrecision(3)) + 'G';
    if (a >= 1e6) return Number((v / 1e6).toPrecision(3)) + 'M';
    if (a >= 1e3) return Number((v / 1e3).toPrecision(3)) + 'k';
    return String(Number(v.toPrecision(3)));
  }
  var data;
  try {
    data = JSON.parse(document.getElementById('report-data').textContent);
  } catch (e) {
    fail('report data: ' + e);
    status.done = true;
    return;
  }
  if (typeof uPlot !== 'function') {
    fail('uPlot did not load');
    status.done = true;
    return;
  }
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
  // 24-hour clock and year-month-day, whatever the viewer's locale
  function swap(s, from, to) { return s.split(from).join(to); }
  var fmtDate = function (tpl) {
    return uPlot.fmtDate(swap(swap(swap(swap(tpl, '{M}/{D}/{YY}', '{YYYY}-{MM}-{DD}'), '{M}/{D}', '{MM}-{DD}'), '{h}', '{HH}'), '{aa}', ''));
  };
  var plots = [];
  var nodes = document.querySelectorAll('[data-chart]');
  for (var k = 0; k < nodes.length; k++) {
    var el = nodes[k];
    var c = data.charts[Number(el.getAttribute('data-chart'))];
    try {
      var n = c.t.length;
      var avg = new Array(n), thr = new Array(n), anom = new Array(n), zAt = {};
      for (var i = 0; i < n; i++) { avg[i] = c.avg; thr[i] = c.thr; anom[i] = null; }
      for (var j = 0; j < c.anom.length; j++) { anom[c.anom[j]] = c.v[c.anom[j]]; zAt[c.anom[j]] = c.z[j]; }
      var opts = {
        width: Math.max(320, el.clientWidth || 900),
        height: 240,
        tzDate: utc,
        fmtDate: fmtDate,
        scales: { x: { time: true }, y: { range: function (u, lo, hi) { return [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1]; } } },
        legend: { live: true },
        series: [
          { label: 'bucket (UTC)' },
          { label: c.metric, stroke: '#1f5fa8', width: 1.5, points: { show: true, size: 3 }, value: function (u, v) { return fmt(v); } },
          { label: 'baseline mean', stroke: '#2e7d32', width: 1.5, dash: [6, 4], points: { show: false }, value: function (u, v) { return fmt(v); } },
          { label: 'mean + ' + c.sigma + ' \\u00d7 stdev', stroke: '#c62828', width: 1.5, dash: [3, 3], points: { show: false }, value: function (u, v) { return fmt(v); } },
          {
            label: 'anomalous (z)', stroke: '#c62828', width: 0, paths: function () { return null; },
            points: { show: true, size: 8, width: 1, stroke: '#7f0000', fill: '#e53935' },
            value: (function (z) { return function (u, v, si, idx) { return v === null || v === undefined ? '-' : fmt(v) + ' (z ' + z[idx] + ')'; }; })(zAt),
          },
        ],
        bands: [{ series: [3, 2], fill: 'rgba(46, 125, 50, 0.14)' }],
        axes: [{}, { size: 60, values: function (u, vals) { return vals.map(short); } }],
      };
      var u = new uPlot(opts, [c.t, c.v, avg, thr, anom], el);
      plots.push({ u: u, el: el });
      var defined = 0;
      for (var d = 0; d < n; d++) if (c.v[d] !== null) defined++;
      el.setAttribute('data-points', String(u.data[0].length));
      el.setAttribute('data-series', String(u.series.length - 1));
      status.charts.push({
        id: c.id, points: u.data[0].length, series: u.series.length - 1, values: defined,
        anomalies: c.anom.length, canvas: el.querySelector('canvas') !== null,
      });
    } catch (e) {
      fail('chart ' + (c ? c.id : k) + ': ' + (e && e.stack ? e.stack : e));
    }
  }
  window.addEventListener('resize', function () {
    for (var p = 0; p < plots.length; p++) plots[p].u.setSize({ width: Math.max(320, plots[p].el.clientWidth || 900), height: 240 });
  });
  document.body.setAttribute('data-charts-rendered', String(status.charts.length));
  status.done = true;
})();
`;
