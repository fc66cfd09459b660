"""Academy pages: views parse the request, call a service or selector, and render."""
