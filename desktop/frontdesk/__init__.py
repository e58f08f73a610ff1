"""The front desk area: customer search, the customer card, identity verification and one-stop intake."""

from desktop.frontdesk.screen import FrontDesk

__all__ = ["FrontDesk"]
