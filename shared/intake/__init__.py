"""A brief from a product page: read the page (``page``), take what it says (``draft``)."""
