"""Scrapy settings, layered: ``base`` holds the polite defaults; a source's
``politeness`` entries override single values for that source only."""
