"""What the outputs show, computed once: statistics, suppression, readiness, registers, scores."""
