"""The demo office recipe: places, name parts, staff accounts and the ticket mix, read by backend.demo."""
