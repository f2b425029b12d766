import { Piscina } from 'piscina';
import { transferablesOf, type PartialState } from '../state/partialState.js';

/** Hands a PartialState's buffers to the main thread by transfer, not structured clone. */
export function movable(state: PartialState): unknown {
  return Piscina.move({
    [Piscina.transferableSymbol]: transferablesOf(state),
    [Piscina.valueSymbol]: state,
  } as never);
}
