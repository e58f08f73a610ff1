"""督办 on the desk (docs/coordination.md): the action form, 我的督办 / 督办跟踪, the meeting record, the notices."""
