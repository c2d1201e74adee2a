/** Time as the product sees it; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}
