"""Item pipelines (one job each)."""

from crawler.pipelines.record import RecordPipeline

__all__ = ["RecordPipeline"]
