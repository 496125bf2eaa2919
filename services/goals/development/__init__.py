"""Development goals: a person's goals for their own growth, with a learning plan."""
