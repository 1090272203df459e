"""The roadmap as official documents: the printable PDF of the approved form and download file names."""
