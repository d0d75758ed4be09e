"""What several test folders share: submissions to grade, the catalogue of mistakes, browsers, the browser edition."""
