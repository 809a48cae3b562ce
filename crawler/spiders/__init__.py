"""Spiders: one generic spider driven by the source registry."""

from crawler.spiders.generic import GenericSpider

__all__ = ["GenericSpider"]
