"""Contract IT workers: contracts with duties and pay, leave, monthly assessment, evaluation (seed 000)."""
