//! [`framing::Session`] for the HTTP/2 [`Connection`], so the workspace's drivers
//! (`framing::blocking::SessionDriver`, `framing::tokio::SessionDriver`) run it over a stream:
//! the driver writes what the connection queued, returns its next [`ConnEvent`] and reads when
//! it needs bytes; the caller answers with the connection's `send_*` verbs through
//! `session_mut()`.

use bytes::Bytes;

use super::{ConnEvent, Connection, Error};

impl framing::Session for Connection {
    type Event = ConnEvent;
    type Error = Error;

    fn receive(&mut self, bytes: &[u8]) {
        Connection::receive(self, bytes);
    }

    fn receive_eof(&mut self) {
        Connection::receive_eof(self);
    }

    fn poll_transmit(&mut self) -> Option<Bytes> {
        Connection::poll_transmit(self)
    }

    fn poll_event(&mut self) -> Result<Option<ConnEvent>, Error> {
        Connection::poll_event(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::h2::Config;
    use crate::{Request, Response};

    /// A client and a server connection driven through the trait only, as a driver does.
    #[test]
    fn the_trait_drives_a_request_and_its_response() {
        fn pump(from: &mut Connection, to: &mut Connection) {
            while let Some(b) = framing::Session::poll_transmit(from) {
                framing::Session::receive(to, &b);
            }
        }
        let mut client = Connection::client(Config::default());
        let mut server = Connection::server(Config::default());
        let request = Request::get("/hello").header("Host", "a.test").unwrap();
        let id = client.send_request(request, true).unwrap();
        pump(&mut client, &mut server);
        let mut got = None;
        while let Some(e) = framing::Session::poll_event(&mut server).unwrap() {
            if let ConnEvent::Request { stream, .. } = e {
                got = Some(stream);
            }
        }
        assert_eq!(got, Some(id));
        server.send_response(id, Response::new(204), true).unwrap();
        pump(&mut server, &mut client);
        let mut status = None;
        while let Some(e) = framing::Session::poll_event(&mut client).unwrap() {
            if let ConnEvent::Response { response, .. } = e {
                status = Some(response.status);
            }
        }
        assert_eq!(status, Some(204));
    }
}
