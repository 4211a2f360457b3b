"""Casefile: cited, verified answers from a legal case's documents."""

__version__ = "0.1.0"
