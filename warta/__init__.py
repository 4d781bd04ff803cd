"""warta: news monitoring and story clustering for coverage of Indonesia's Ministry of Human Rights."""

__version__ = "0.1.0"
