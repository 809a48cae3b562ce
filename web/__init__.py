"""The archive browser (``budgetwatch serve``)."""
