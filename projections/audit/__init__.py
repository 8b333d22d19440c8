"""The audit read side: history, as-of folds, read-model verification.

It sits above the engine, the read models and the read functions; none of them imports it.
"""
