"""The catalogue of the city's applications with repositories and hosting, and the build/upgrade
projects that follow the SOP (seeds 001, 003, 000 §6A)."""
