"""budgetwatch (预决算公开监测): the command line."""
