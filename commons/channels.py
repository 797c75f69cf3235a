"""Channel-layer group names shared between apps."""

# Every room socket and every /ws/alerts/ socket joins this group; a published
# drug alert is sent to it as {"type": "alert.published", "frame": {...alert frame...}}.
ALERTS_GROUP = "alerts"
