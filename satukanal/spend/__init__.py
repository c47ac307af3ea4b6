"""What X's pay-per-use API costs the office: posts read and written, per source and month, against budgets."""
