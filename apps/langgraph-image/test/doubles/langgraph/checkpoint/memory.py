"""Test double of `langgraph.checkpoint.memory`: MemorySaver keeps each thread's messages, as the real one
keeps each thread's checkpoints, so a test sees whether turns of one context share a conversation."""


class MemorySaver:
    def __init__(self):
        self.threads = {}
