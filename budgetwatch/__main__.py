"""``python -m budgetwatch``: the same command line as ``budgetwatch``."""

from budgetwatch.cli import app

if __name__ == "__main__":
    app()
