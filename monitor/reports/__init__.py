"""Report formats. To add one, write a module here that renders monitor.reports.model.Report."""
