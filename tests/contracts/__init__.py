"""Behaviour contracts that several implementations of one port must all satisfy."""
