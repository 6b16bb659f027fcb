"""The pipeline: ``pipelines`` (the registry), ``Pipeline`` and ``PipelineToken``."""

from .core import Pipeline
from .registry import PipelineRegistry, build_pipelines, pipelines
from .token import PipelineToken

__all__ = ["Pipeline", "PipelineRegistry", "PipelineToken", "build_pipelines", "pipelines"]
