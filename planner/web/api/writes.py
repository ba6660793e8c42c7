"""Create, change and delete activities, moments, audiences and checklist item status (added in the next step)."""
