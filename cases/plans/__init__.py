"""The individual plan of a case: goals, steps, reviews, history and the printable plan."""
