"""Softmax Lab's Qt front end: panels that show snapshots of a model.TrainingRun."""
