# Layer 1 (network) of the example platform. It has deliberate findings for security-gate to catch.

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags = {
    Name        = "main"
    environment = "dev"
    owner       = "platform"
  }
}

# Finding: SSH and RDP open to the whole internet.
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion access"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "RDP from anywhere"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "All egress"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
