/** Where the quick start keeps the default dataset. */
export const DEMO_DATA = 'data/default';
