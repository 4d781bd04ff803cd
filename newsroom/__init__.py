"""The bundled offline newsroom: fictional Indonesian outlets served on 127.0.0.x, with a
corpus written for warta and gold labels beside it (see ``newsroom.server.Newsroom``)."""
