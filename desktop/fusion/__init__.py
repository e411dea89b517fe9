"""The data-fusion features of the window (数据融合): the conflict review queue with the
candidates side by side and the entity on the map, decisions through
:mod:`gis_core.fusion.review`, and the data-quality score per grid cell as a graduated layer
with the per-source table and CSV export. The fusing itself is :mod:`gis_core.fusion`'s.

>>> # in MainWindow.__init__:  install_fusion(self)
"""

from desktop.fusion.controller import FusionController, install_fusion
from desktop.fusion.quality_panel import QualityPanel
from desktop.fusion.review_panel import ReviewPanel

__all__ = ["FusionController", "QualityPanel", "ReviewPanel", "install_fusion"]
