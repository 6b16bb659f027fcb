"""``python -m pyot_django.testing --port N``: serve the Riot API emulator in the foreground."""

from pyot_django.testing.runner import main

main()
