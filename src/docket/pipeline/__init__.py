"""Pipeline: stage order, runner, executors, limits."""
