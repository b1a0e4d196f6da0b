"""Kiosk mode: the 3D city full screen, unattended, on exhibition touch screens.

``window`` (the presentation and its states), ``attract`` (the tour), ``idle``
(visitors noticed), ``touch`` (gestures), ``lock`` (quit chords, PIN pad),
``overlays``/``info_card``/``controls`` (what is drawn over the view), ``baseline``
(the kiosk's own look, restored), ``heartbeat`` (for the supervisor), ``app`` (start),
``editor`` (the settings dialog of the desktop app).
"""
