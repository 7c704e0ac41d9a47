"""Task packages of the battery; each sub-folder registers one task (see cogtrain.task)."""
