"""Research tools over the engine: trend, KWIC, export, timeline and evaluation."""
