"""Chart specs, one module per page (`data`, `inner_layer`, `gallery`, `compare`, `gradient_descent`),
the bottleneck plane and its epoch player (`player`), the views inside the network (`inside`), with
what they share in `common` (colours, sampling, templates, specs), `plane` (the plane's extent and
rows) and `files` (a chart as SVG, PNG or JSON). No Streamlit here: every figure of the app can be
drawn in a notebook."""
