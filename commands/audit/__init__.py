"""The audit write side, PostgreSQL only: the cafe-day index and hash chain kept by triggers
on the events table, the log reader over them, and the chain check."""
