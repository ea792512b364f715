"""Reports and performance in the shape of the civil-service SKP (002 §15(2), §20; 004 §3)."""
