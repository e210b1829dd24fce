"""Test double of `a2a.server.events` (PyPI is out of reach here): an EventQueue that keeps what it is given."""


class EventQueue:
    def __init__(self):
        self.events = []

    async def enqueue_event(self, event) -> None:
        self.events.append(event)
