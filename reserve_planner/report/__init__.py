"""Printable summary reports. Content is Qt-free; only the renderer module imports Qt."""
