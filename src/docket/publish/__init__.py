"""Publishing safely: redaction marks proposed from what the case knows (``suggest``),
reviewed by an analyst, burned into page images (``render``), written as image-only PDFs
without metadata (``pdfwrite``), re-read by Docket's own extractors before anything leaves
(``check``), and bundled with a manifest, a custody entry and a signature (``bundle``)."""
