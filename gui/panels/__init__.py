"""One panel a file, each named after what it shows."""
