"""The standard profile (标准化企业档案): products, supply links, employment, indicators,
change history, and the enterprise's own monthly figures (企业报送)."""
