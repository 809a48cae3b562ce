"""budgetwatch (预决算公开监测): command line and settings."""
