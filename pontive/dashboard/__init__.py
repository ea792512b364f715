"""The landing page of each role, made of cards that each area registers."""
