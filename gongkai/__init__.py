"""gongkai（公开）: 政府信息公开工作年度报告 → a checked record, a dataset and a static site."""

__version__ = "0.1.0"
