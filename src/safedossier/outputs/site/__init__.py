"""The reviewer site: render the Markdown project, build it with MkDocs, serve a preview."""
