//===- Xf.td - the xf dialect, all ops ----------------------*- tablegen -*-===//

#ifndef XF_TD
#define XF_TD

include "xf/XfOps.td"
include "xf/XfCompositeOps.td"

#endif // XF_TD
