"""Chart specs, one module per page (`data`, `inner_layer`, `gallery`, `compare`, `gradient_descent`),
with what they share in `common` (colours, sampling, specs) and `plane` (the bottleneck plane's
extent and rows). No Streamlit here: every figure of the app can be drawn in a notebook."""
