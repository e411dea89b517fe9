"""Live feeds behind one small protocol: MQTT, cameras (OpenCV) and a simulator — no Qt."""
